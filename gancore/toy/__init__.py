"""The 2D toy lab: what each frame shows, its statistics, and the narration of one step."""
