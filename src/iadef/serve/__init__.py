"""``iadef serve``: the local SPARQL endpoint, its protocol, formats, workers and pages."""
