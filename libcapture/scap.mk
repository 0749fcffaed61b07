# libcapture: scap area (sources added by its owner).
