"""What scenes, figures and the CLI share: the manifest, the text table, the theme."""
