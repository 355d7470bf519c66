"""The 2D toy lab's parts: its figures, the live PNG, the set-up widgets and the exports."""
