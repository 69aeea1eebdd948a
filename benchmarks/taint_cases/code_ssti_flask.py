from flask import Flask, request, render_template_string

app = Flask(__name__)


@app.get("/greet")
def greet():
    name = request.args.get("name", "guest")
    template = "<h2>Welcome back, %s!</h2>" % name
    return render_template_string(template)
