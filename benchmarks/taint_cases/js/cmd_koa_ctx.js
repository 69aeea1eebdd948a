const Koa = require('koa');
const Router = require('@koa/router');
const { execSync } = require('child_process');

const app = new Koa();
const router = new Router();

router.get('/dns', async (ctx) => {
  ctx.body = execSync(`nslookup ${ctx.query.name}`).toString();
});

app.use(router.routes());
