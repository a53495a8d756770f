"""The deterministic demo world: a landing folder in the raw contract's shape, and simulated
later deliveries (deltas) for incremental-build tests and benchmarks."""
