"""Small Business Champions: editions, themes, partners and winning projects."""
