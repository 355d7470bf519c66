"""The class view's parts."""
