# libcapture: writer area (sources added by its owner).
