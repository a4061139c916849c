"""Problem pages: every problem+json `type` is a page this server serves at `/problems/<code>`."""
