import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { Roles } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { CommissionService } from './commission.service';
import { CreateCommissionRuleDto, UpdateCommissionRuleDto } from './dto/commission.dto';
import { CommissionRuleResponse, toRuleResponse } from './dto/commission.response';

@ApiTags('commission')
@Controller('admin/commission-rules')
@Roles('admin')
export class CommissionRulesController {
  constructor(private readonly commission: CommissionService) {}

  @Get()
  @ApiOperation({
    summary: 'Every commission rule: the global one, per category, per seller',
    description:
      'The most specific rule wins for an order line: seller, then category, then global. ' +
      'Each line freezes its rate and commission at checkout; changing a rule never changes a line sold.',
  })
  @ApiOkResponse({ type: [CommissionRuleResponse] })
  async list(): Promise<CommissionRuleResponse[]> {
    return (await this.commission.list()).map(toRuleResponse);
  }

  @Post()
  @ApiOperation({
    summary: 'Add a category or seller rule',
    description:
      '`category` goes with scope `category`, `seller_id` with scope `seller`. A second rule for ' +
      'the same target (or a second global rule) → 409 `COMMISSION_RULE_EXISTS`; `min_fee` above ' +
      '`max_fee` or a rate outside 0–100 → 400 naming the field.',
  })
  @ApiCreatedResponse({ type: CommissionRuleResponse })
  @ApiErrors(400, 409)
  async create(@Body() dto: CreateCommissionRuleDto): Promise<CommissionRuleResponse> {
    return toRuleResponse(await this.commission.create(dto));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Change a rule’s rate or fees (null removes a fee)' })
  @ApiOkResponse({ type: CommissionRuleResponse })
  @ApiErrors(400, 404)
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateCommissionRuleDto,
  ): Promise<CommissionRuleResponse> {
    return toRuleResponse(await this.commission.update(id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a category or seller rule (the global rule → 409)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404, 409)
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.commission.remove(id);
  }
}
