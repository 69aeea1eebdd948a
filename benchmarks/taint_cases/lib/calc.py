def evaluate(expression):
    return eval(expression, {"__builtins__": {}})


def page(title):
    return "<html><head><title>" + title + "</title></head></html>"
