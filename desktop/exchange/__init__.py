"""Exchange files between levels (a township, its county, the city): export, receive, approve."""
