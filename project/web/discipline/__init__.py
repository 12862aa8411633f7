"""The discipline pages of a case: the suggested step, the proposal, its withdrawal and modification."""
