"""The directory of organisations that help MSMEs trade (Trade4MSMEs Network and national bodies)."""
