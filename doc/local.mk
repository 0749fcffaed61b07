# The manual page, installed by `make install` (man1).
dist_man_MANS = doc/udig.1 doc/libcapture.3
