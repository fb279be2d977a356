"""The network view of the graph: projection, focus, analytics and the interactive page."""
