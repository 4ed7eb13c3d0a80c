import OpsDaemon
CatalogExport.run()
