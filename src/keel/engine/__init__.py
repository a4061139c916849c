"""Engine: execution simulator (fills, spread, slippage, commission), resting-order book, strategy runtime."""
