# bench: rules come with the first benchmark.
