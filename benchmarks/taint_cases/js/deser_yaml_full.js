const express = require('express');

const app = express();
app.use(express.json());

const yaml = require('js-yaml');

app.post('/config', (req, res) => {
  res.json(yaml.load(req.body.document, { schema: yaml.DEFAULT_FULL_SCHEMA }));
});
