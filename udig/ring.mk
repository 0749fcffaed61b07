# udig: ring area.
