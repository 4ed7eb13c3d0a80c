import OpsDaemon
OpsDaemonMain.run()
