"""SPARQL, whatever the engine: the engine protocol and answers, parameter binding, guards,
the query catalogue, results, and name look-up."""
