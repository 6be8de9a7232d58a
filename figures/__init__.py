"""Static slide figures (matplotlib) made from stored engine results; nothing here trains."""
