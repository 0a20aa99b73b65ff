"""cba: cost-benefit analysis for UK public-service programmes."""

__version__ = "0.1.0"
