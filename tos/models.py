"""Models of the tos app; filled by its own issue."""
