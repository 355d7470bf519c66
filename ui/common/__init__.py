"""Pieces every page shares: the session's state and sidebar, the owner's identity, the course path, pictures and how they are shown."""
