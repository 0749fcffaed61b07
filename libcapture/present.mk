# libcapture: present area (sources added by its owner).
