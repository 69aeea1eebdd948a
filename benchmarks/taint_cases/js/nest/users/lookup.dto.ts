import { IsEmail, IsInt, Min } from 'class-validator';

export class LookupDto {
  @IsEmail()
  email: string;

  @IsInt()
  @Min(0)
  age: number;
}
