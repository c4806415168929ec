"""Web pages and API of economic complexity (a Django app): a region's growth opportunities, the industry space,
ECI across Europe and over the years, regions with a similar portfolio (``clusterobs.complexity`` computes them)."""
