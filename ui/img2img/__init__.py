"""The Image to image page's parts."""
