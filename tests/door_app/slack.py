from slack_bolt import App

COMMAND = "/door"


def register(app: App) -> None:
    @app.command(COMMAND)
    def open_door(ack, command):
        ack(f"The door opened for {command['user_id']} with {command['text']!r}.")
