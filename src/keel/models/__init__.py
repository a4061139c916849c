"""Models: features, classical and quantum-circuit models, hybrid ensemble, walk-forward evaluation."""
