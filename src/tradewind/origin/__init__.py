"""Rules-of-origin self-assessment: product-specific rule model, parser and assessment."""
