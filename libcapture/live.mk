# libcapture: live area (sources added by its owner).
