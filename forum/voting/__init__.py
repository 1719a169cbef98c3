"""Ballot rounds at meetings: show of hands, committee ballots, council roll calls; results."""
