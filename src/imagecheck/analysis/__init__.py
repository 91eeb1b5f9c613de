"""Image analysis: the facts rules read, computed once per image."""
