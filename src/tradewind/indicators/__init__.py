"""Economic indicators per economy and year (GDP, population) from the World Bank."""
