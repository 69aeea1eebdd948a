const Router = require('@koa/router');

const router = new Router();

router.get('/greet', (ctx) => {
  ctx.body = `<div class="greeting">Hi ${ctx.query.name}</div>`;
});

module.exports = router;
