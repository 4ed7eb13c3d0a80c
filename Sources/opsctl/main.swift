import OpsClient
OpsClientMain.run()
