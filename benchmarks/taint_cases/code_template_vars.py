from flask import Flask, request, render_template_string

app = Flask(__name__)
GREETING = "<h2>Welcome back, {{ name }}!</h2>"


@app.get("/greet2")
def greet():
    return render_template_string(GREETING, name=request.args.get("name", "guest"))
