"""Where the graph is read: the rdflib and Oxigraph engines, the store setting, on-disk
Oxigraph, SPARQL endpoints, and pushing a build to one."""
