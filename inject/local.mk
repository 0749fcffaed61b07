# inject: rules come with the first sources of this area.
