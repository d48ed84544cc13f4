"""portal-bot: declarative, gated, evidenced walks through government tax portals."""

__version__ = "0.1.0"
