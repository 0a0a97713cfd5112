"""What reviewers see: overlay previews of held images."""
