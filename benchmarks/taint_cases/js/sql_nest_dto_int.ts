import { Body, Controller, Post } from '@nestjs/common';
import { UsersService } from './nest/users/users.service';
import { LookupDto } from './nest/users/lookup.dto';

@Controller('users')
export class UsersAgeController {
  constructor(private readonly users: UsersService) {}

  @Post('by-age')
  byAge(@Body() dto: LookupDto) {
    return this.users.findByAge(dto.age);
  }
}
