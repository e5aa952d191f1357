"""WTO SPS/TBT notifications: symbols, storage, importers' targets and named queries."""
