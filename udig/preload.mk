# udig: preload area.
