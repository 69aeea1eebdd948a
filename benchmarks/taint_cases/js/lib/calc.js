exports.evaluate = function (expression) {
  return eval(expression);
};

exports.evaluateNumber = function (value) {
  return Number(value) * 2;
};
