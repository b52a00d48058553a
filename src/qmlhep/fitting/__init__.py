"""What every model's training shares: the one resumable Keras loop, checkpoints, input
checks and progress bars."""
