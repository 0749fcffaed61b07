# udig: fillers area.
