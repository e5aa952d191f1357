"""knowledge feature of the Trade4MSMEs platform."""
