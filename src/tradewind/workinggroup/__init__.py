"""The WTO Informal Working Group on MSMEs: members, the December 2020 package, the
implementation tracker, private-sector dialogue events and business feedback."""
