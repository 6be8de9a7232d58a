"""Lecture videos (Manim Community Edition) made from stored engine results; nothing here trains."""
